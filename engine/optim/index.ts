// torch.optim.
export { Optimizer, SGD, type SGDOptions, type ParamGroup, type ParamGroupInput, type Hyper } from './sgd';
export { RMSprop, Adam, type RMSpropOptions, type AdamOptions } from './adaptive';
