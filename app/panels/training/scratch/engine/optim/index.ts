// torch.optim.
export { Optimizer, SGD, type SGDOptions, type ParamGroup, type ParamGroupInput, type Hyper } from './sgd';
