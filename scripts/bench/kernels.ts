// Kernel rows: matmul and the ResNet-18 convolutions (64×64 input, batch 2), forward and both
// backward passes, against TensorFlow.js on the same work. tfjs is NHWC with [KH, KW, C, OC]
// filters, we are NCHW with [OC, C, KH, KW]: the layouts differ, the arithmetic is the same. Every row
// is on one thread, then again ", 2 threads" when the gemm helper is installed (see ./threads.ts).
import { matmul } from '../../engine/kernels/matmul';
import { type Conv2dShape, conv2dShape, conv2dOutputHW, conv2dForward, conv2dBackwardInput, conv2dBackwardWeight } from '../../engine/kernels/conv';
import type { Tensor } from '@tensorflow/tfjs';
import type { BenchCase, PeerEnv, Suite } from './types';
import { tfjsPeers } from './tfjs';
import { withTwoThreads } from './twoThreads';

function randomFloat32(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

function matmulCase(env: PeerEnv, size: number): BenchCase {
  const a = randomFloat32(size * size, 1);
  const b = randomFloat32(size * size, 2);
  const out = new Float32Array(size * size);
  return {
    name: `matmul ${size}³`,
    flops: 2 * size ** 3,
    ours: () => void matmul(a, b, out, size, size, size),
    peers: tfjsPeers(env, (tf) => {
      const ta = tf.tensor2d(a, [size, size]);
      const tb = tf.tensor2d(b, [size, size]);
      return () => tf.tidy(() => void tf.matMul(ta, tb).dataSync());
    }),
  };
}

interface ConvLayer {
  label: string;
  shape: Conv2dShape;
}

const BATCH = 2;

/** ResNet-18's distinct convolution shapes for a 64×64 input. */
export const RESNET18_CONVS: ConvLayer[] = [
  { label: 'conv1 7×7 s2 3→64 @64', shape: conv2dShape({ batch: BATCH, inChannels: 3, inH: 64, inW: 64, outChannels: 64, kernelH: 7, kernelW: 7, strideH: 2, strideW: 2, padH: 3, padW: 3 }) },
  { label: 'layer1 3×3 s1 64→64 @16', shape: conv2dShape({ batch: BATCH, inChannels: 64, inH: 16, inW: 16, outChannels: 64, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }) },
  { label: 'layer2 3×3 s2 64→128 @16', shape: conv2dShape({ batch: BATCH, inChannels: 64, inH: 16, inW: 16, outChannels: 128, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 }) },
  { label: 'layer2 3×3 s1 128→128 @8', shape: conv2dShape({ batch: BATCH, inChannels: 128, inH: 8, inW: 8, outChannels: 128, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }) },
  { label: 'layer3 3×3 s1 256→256 @4', shape: conv2dShape({ batch: BATCH, inChannels: 256, inH: 4, inW: 4, outChannels: 256, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }) },
  { label: 'layer4 3×3 s1 512→512 @2', shape: conv2dShape({ batch: BATCH, inChannels: 512, inH: 2, inW: 2, outChannels: 512, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }) },
  { label: 'downsample 1×1 s2 64→128 @16', shape: conv2dShape({ batch: BATCH, inChannels: 64, inH: 16, inW: 16, outChannels: 128, kernelH: 1, kernelW: 1, strideH: 2, strideW: 2 }) },
];

type Pass = 'fwd' | 'bwd-input' | 'bwd-weight';

function convCase(env: PeerEnv, layer: ConvLayer, pass: Pass): BenchCase {
  const s = layer.shape;
  const [oh, ow] = conv2dOutputHW(s);
  const ckk = (s.inChannels / s.groups) * s.kernelH * s.kernelW;
  const x = randomFloat32(s.batch * s.inChannels * s.inH * s.inW, 3);
  const w = randomFloat32(s.outChannels * ckk, 4);
  const gy = randomFloat32(s.batch * s.outChannels * oh * ow, 5);
  const y = new Float32Array(gy.length);
  const gx = new Float32Array(x.length);
  const gw = new Float32Array(w.length);
  const ours =
    pass === 'fwd' ? () => void conv2dForward(x, w, null, y, s)
    : pass === 'bwd-input' ? () => void conv2dBackwardInput(gy, w, gx, s)
    : () => void conv2dBackwardWeight(x, gy, gw, s);
  const xShape: [number, number, number, number] = [s.batch, s.inH, s.inW, s.inChannels];
  const fShape: [number, number, number, number] = [s.kernelH, s.kernelW, s.inChannels, s.outChannels];
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [s.padH, s.padH], [s.padW, s.padW], [0, 0]];
  const strides: [number, number] = [s.strideH, s.strideW];
  return {
    name: `conv ${layer.label} ${pass}`,
    flops: 2 * s.batch * s.outChannels * oh * ow * ckk,
    ours,
    peers: tfjsPeers(env, (tf) => {
      const tx = tf.tensor4d(x, xShape);
      const tw = tf.tensor4d(w, fShape);
      const tgy = tf.tensor4d(gy, [s.batch, oh, ow, s.outChannels]);
      if (pass === 'fwd') return () => tf.tidy(() => void tf.conv2d(tx, tw, strides, pad, 'NHWC').dataSync());
      const kernel = pass === 'bwd-input' ? 'Conv2DBackpropInput' : 'Conv2DBackpropFilter';
      const inputs: Record<string, Tensor> = pass === 'bwd-input' ? { dy: tgy, filter: tw } : { x: tx, dy: tgy };
      const attrs = pass === 'bwd-input'
        ? { strides, pad, dataFormat: 'NHWC', inputShape: xShape }
        : { strides, pad, dataFormat: 'NHWC', filterShape: fShape };
      // The gradient kernels themselves, as tf.grad of conv2d would call them.
      const run = () => tf.tidy(() => void (tf.engine().runKernel(kernel, inputs, attrs as never) as Tensor).dataSync());
      run(); // fail in setup, not mid-timing, when the backend lacks the kernel
      return run;
    }),
  };
}

export const kernelSuite: Suite = (env) => withTwoThreads(env.threads, [
  matmulCase(env, 256),
  matmulCase(env, 512),
  ...RESNET18_CONVS.flatMap((layer) => (['fwd', 'bwd-input', 'bwd-weight'] as const).map((pass) => convCase(env, layer, pass))),
]);
