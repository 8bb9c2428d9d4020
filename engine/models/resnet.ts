// torchvision.models.resnet: BasicBlock, ResNet and resnet18 with torchvision 0.14's exact architecture,
// parameter names, construction order (hence random draws) and initialisation; plus `resnet`, a builder for
// small ResNets of the same shape (fewer or narrower stages) for the fine-tune panel.
import { engine, EngineError } from '../context';
import { created } from '../creation';
import { Tensor } from '../tensor';
import { add } from '../ops/arith';
import { flatten } from '../ops/shape';
import { Module, releaseIntermediate, sealedForward } from '../nn/module';
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Linear, MaxPool2d, ReLU, Sequential } from '../nn/layers';
import { constant_, kaimingNormal_ } from '../nn/init';

/** 3x3 convolution with padding, no bias. */
export const conv3x3 = (inPlanes: number, outPlanes: number, stride = 1): Conv2d =>
  new Conv2d(inPlanes, outPlanes, 3, { stride, padding: 1, bias: false });

/** 1x1 convolution, no bias. */
export const conv1x1 = (inPlanes: number, outPlanes: number, stride = 1): Conv2d => new Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });

export class BasicBlock extends Module {
  static readonly expansion = 1;

  constructor(inPlanes: number, planes: number, stride = 1, downsample: Module | null = null) {
    super('BasicBlock');
    this.addModule('conv1', conv3x3(inPlanes, planes, stride));
    this.addModule('bn1', new BatchNorm2d(planes));
    this.addModule('relu', new ReLU(true));
    this.addModule('conv2', conv3x3(planes, planes));
    this.addModule('bn2', new BatchNorm2d(planes));
    // `self.downsample = None` is a plain attribute in PyTorch: not a child, not in the state dict.
    if (downsample) this.addModule('downsample', downsample);
  }

  override forward(x: Tensor): Tensor {
    // Each intermediate's storage is recycled once the next layer has read it, where nothing else can (see
    // releaseIntermediate).
    const sealed = sealedForward(this);
    let out = x;
    const next = (t: Tensor): void => {
      if (sealed && out !== x) releaseIntermediate(out, t);
      out = t;
    };
    const relu = this.child('relu');
    next(this.child('conv1').call(x) as Tensor);
    next(this.child('bn1').call(out) as Tensor);
    next(relu.call(out) as Tensor);
    next(this.child('conv2').call(out) as Tensor);
    next(this.child('bn2').call(out) as Tensor);
    const downsample = this._modules.get('downsample');
    const identity = downsample ? (downsample.call(x) as Tensor) : x;
    // `out += identity` in torchvision: an in-place add on a non-leaf, recorded as AddBackward0.
    next(add(out, identity));
    if (sealed && identity !== x) releaseIntermediate(identity, out);
    next(relu.call(out) as Tensor);
    return out;
  }
}

export interface ResNetOptions {
  /** Blocks per stage: [2, 2, 2, 2] for ResNet-18. */
  layers: number[];
  /** Channels per stage: [64, 128, 256, 512] in torchvision. */
  widths?: number[];
  numClasses?: number;
  inChannels?: number;
  /** The stem: torchvision's 7x7 stride-2 conv then a 3x3 stride-2 max pool ('imagenet'), or a 3x3 stride-1 conv
   * without pooling for small images ('small'). */
  stem?: 'imagenet' | 'small';
  /** Stride of the 'small' stem's conv (1 keeps the input resolution; 2 halves it, a quarter of the work). */
  stemStride?: number;
  /** Zero-initialise the last BN of each block, as torchvision's zero_init_residual. */
  zeroInitResidual?: boolean;
}

export class ResNet extends Module {
  readonly options: Required<ResNetOptions>;
  private inPlanes: number;

  constructor(options: ResNetOptions) {
    super('ResNet');
    const o: Required<ResNetOptions> = {
      widths: [64, 128, 256, 512], numClasses: 1000, inChannels: 3, stem: 'imagenet', stemStride: 1, zeroInitResidual: false, ...options,
    };
    if (o.widths.length !== o.layers.length) throw new EngineError('ValueError', `resnet: ${o.layers.length} stages but ${o.widths.length} widths`);
    this.options = o;
    this.inPlanes = o.widths[0];
    const small = o.stem === 'small';
    this.addModule('conv1', new Conv2d(o.inChannels, this.inPlanes, small ? 3 : 7, { stride: small ? o.stemStride : 2, padding: small ? 1 : 3, bias: false }));
    this.addModule('bn1', new BatchNorm2d(this.inPlanes));
    this.addModule('relu', new ReLU(true));
    if (!small) this.addModule('maxpool', new MaxPool2d(3, 2, 1));
    o.layers.forEach((blocks, i) => this.addModule(`layer${i + 1}`, this.makeLayer(o.widths[i], blocks, i === 0 ? 1 : 2)));
    this.addModule('avgpool', new AdaptiveAvgPool2d([1, 1]));
    this.addModule('fc', new Linear(o.widths[o.widths.length - 1] * BasicBlock.expansion, o.numClasses));

    for (const m of this.modules()) {
      if (m instanceof Conv2d) kaimingNormal_(m.weight, 0, 'fan_out', 'relu');
      else if (m instanceof BatchNorm2d) {
        if (m.weight) constant_(m.weight, 1);
        if (m.bias) constant_(m.bias, 0);
      }
    }
    if (o.zeroInitResidual) {
      for (const m of this.modules()) if (m instanceof BasicBlock) constant_((m.getAttr('bn2') as BatchNorm2d).weight!, 0);
    }
  }

  private makeLayer(planes: number, blocks: number, stride: number): Sequential {
    let downsample: Module | null = null;
    if (stride !== 1 || this.inPlanes !== planes * BasicBlock.expansion) {
      downsample = new Sequential([conv1x1(this.inPlanes, planes * BasicBlock.expansion, stride), new BatchNorm2d(planes * BasicBlock.expansion)]);
    }
    const layers: Module[] = [new BasicBlock(this.inPlanes, planes, stride, downsample)];
    this.inPlanes = planes * BasicBlock.expansion;
    for (let i = 1; i < blocks; i++) layers.push(new BasicBlock(this.inPlanes, planes));
    return new Sequential(layers);
  }

  override forward(x: Tensor): Tensor {
    const sealed = sealedForward(this);
    let h = x;
    const next = (t: Tensor): void => {
      if (sealed && h !== x) releaseIntermediate(h, t);
      h = t;
    };
    next(this.child('conv1').call(x) as Tensor);
    next(this.child('bn1').call(h) as Tensor);
    next(this.child('relu').call(h) as Tensor);
    if (this._modules.has('maxpool')) next(this.child('maxpool').call(h) as Tensor);
    for (let i = 1; this._modules.has(`layer${i}`); i++) next(this.child(`layer${i}`).call(h) as Tensor);
    next(this.child('avgpool').call(h) as Tensor);
    next(flatten(h, 1));
    next(this.child('fc').call(h) as Tensor);
    return h;
  }
}

/**
 * Builds a model with events off, then announces its parameters and buffers with their final values: a
 * torchvision model initialises conv weights twice (the layer's default, then kaiming_normal_), and the
 * timeline should show one creation per tensor, not hundreds of intermediate states.
 */
export function buildQuietly<M extends Module>(build: () => M): M {
  const active = engine.events.active;
  engine.events.active = false;
  let model: M;
  try {
    model = build();
  } finally {
    engine.events.active = active;
  }
  if (active) {
    for (const p of model.parameters()) created(p, 'parameter');
    for (const b of model.buffers()) created(b, 'buffer');
    model.announceParameters();
  }
  return model;
}

export interface TorchvisionOptions {
  numClasses?: number;
  zeroInitResidual?: boolean;
  /** torchvision's `pretrained=True`: needs a download, so it fails here. */
  pretrained?: boolean;
  /** torchvision's `weights=`: only None; load a local file with load_state_dict instead. */
  weights?: string | null;
}

export const NO_NETWORK_MESSAGE =
  'pretrained weights are downloaded from the internet, and this playground runs offline. ' +
  'Build the model without them and load a local file instead: ' +
  'model = torchvision.models.resnet18(); model.load_state_dict(load_file("resnet18-f16.safetensors"))';

function checkWeights(o: TorchvisionOptions): void {
  if (o.pretrained) throw new EngineError('RuntimeError', `resnet18(pretrained=True): ${NO_NETWORK_MESSAGE}`);
  if (o.weights !== undefined && o.weights !== null) throw new EngineError('RuntimeError', `resnet18(weights=${JSON.stringify(o.weights)}): ${NO_NETWORK_MESSAGE}`);
}

/** torchvision.models.resnet18(weights=None, num_classes=1000): 11,689,512 parameters. */
export function resnet18(o: TorchvisionOptions = {}): ResNet {
  checkWeights(o);
  return buildQuietly(() => new ResNet({ layers: [2, 2, 2, 2], numClasses: o.numClasses ?? 1000, zeroInitResidual: o.zeroInitResidual ?? false }));
}

/** torchvision.models.resnet34: [3, 4, 6, 3] BasicBlocks, 21,797,672 parameters. */
export function resnet34(o: TorchvisionOptions = {}): ResNet {
  checkWeights(o);
  return buildQuietly(() => new ResNet({ layers: [3, 4, 6, 3], numClasses: o.numClasses ?? 1000, zeroInitResidual: o.zeroInitResidual ?? false }));
}

/** A small ResNet of BasicBlocks with torchvision's parameter names (conv1, bn1, layer1.0.conv1, ..., fc). */
export function resnet(o: ResNetOptions): ResNet {
  return buildQuietly(() => new ResNet(o));
}
