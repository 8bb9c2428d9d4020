// The bundled small ResNet (public/models/small-resnet.*): its description file's shape, and how to rebuild
// the model from it. The fine-tune panel loads the two files and calls `loadPretrained`.
import { EngineError } from '../context';
import { loadFile } from '../io/safetensors';
import { resnet, type ResNet, type ResNetOptions } from './resnet';

/** small-resnet.json. */
export interface PretrainedMeta {
  format: 'autograd-playground-model/1';
  /** Arguments of `resnet(...)` (engine/models/resnet.ts). */
  architecture: { builder: 'resnet' } & ResNetOptions;
  parameters: number;
  /** Class names, in label order (engine/data/shapes.ts). */
  classes: string[];
  /** Input layout and normalisation: images in [0, 1], then (x - mean) / std. */
  input: { channels: number; size: number; mean: number; std: number };
  data: { generator: string; trainSeed: number; testSeed: number; trainPerClass: number; testPerClass: number };
  training: Record<string, number | string | boolean>;
  accuracy: { train: number; test: number };
  seconds: number;
  weights: string;
}

export function buildFromMeta(meta: PretrainedMeta): ResNet {
  if (meta.format !== 'autograd-playground-model/1' || meta.architecture.builder !== 'resnet') {
    throw new EngineError('ValueError', `unknown model description: ${meta.format} / ${meta.architecture?.builder}`);
  }
  const { builder: _builder, ...options } = meta.architecture;
  return resnet(options);
}

/** The pretrained model in eval mode, weights loaded (strictly: a mismatch names the keys). */
export function loadPretrained(meta: PretrainedMeta, weights: Uint8Array): ResNet {
  const model = buildFromMeta(meta);
  model.loadStateDict(loadFile(weights));
  return model.eval();
}
