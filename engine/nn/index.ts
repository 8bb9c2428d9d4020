// torch.nn: Module and the layers; torch.nn.init.
export { Module, isParameter, asParameter, announceParameter, newParameter, newBuffer, copyInto, zeroGrads, pyRepr, type StateDict, type IncompatibleKeys } from './module';
export { Linear, Conv2d, BatchNorm2d, ReLU, MaxPool2d, AdaptiveAvgPool2d, Flatten, Upsample, Dropout, Identity, Sequential, Tanh, Sigmoid, Softmax, LogSoftmax, MSELoss, CrossEntropyLoss, NLLLoss, type Conv2dOptions, type BatchNormOptions2d } from './layers';
export * as init from './init';
export { RNNBase, RNNCellBase, type RnnMode, type RnnOptions } from './rnn';
export {
  MultiheadAttention, NonDynamicallyQuantizableLinear, TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, Transformer,
  multiHeadAttentionForward, deepCopyModule, type MhaArgs, type MhaOptions, type MhaForwardOptions, type TransformerLayerOptions,
} from './transformer';
