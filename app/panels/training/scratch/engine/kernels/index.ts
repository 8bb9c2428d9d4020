// Plain numeric kernels on typed arrays: no tensors, no graph, no events.
export * from './types';
export * from './matmul';
export * from './conv';
export * from './pool';
export * from './batchnorm';
export * from './softmax';
export * from './reduce';
