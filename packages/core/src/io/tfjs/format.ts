/** The weights shard {@link toTfjs} writes beside model.json. */
export const TFJS_WEIGHTS_FILE = 'weights.bin';
/** The topology file of a tfjs layers model. */
export const TFJS_MODEL_FILE = 'model.json';

/** One layer of a tfjs `Sequential` topology, as in model.json (Keras's snake_case keys). */
export interface TfjsLayerJSON {
  class_name: string;
  config: Record<string, unknown>;
}

/** One weight of a tfjs weights manifest: `<layer name>/<weight>`, its shape and dtype. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/**
 * The content of a tfjs layers model's model.json (tfjs's `ModelJSON`): the Keras topology and
 * the manifest of the binary weight shards (their paths relative to model.json, and the
 * weights laid out in them back to back, in order).
 */
export interface TfjsModelJSON {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: {
    class_name: 'Sequential';
    config: { name: string; layers: TfjsLayerJSON[] };
    keras_version: string;
    backend: string;
  };
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}
