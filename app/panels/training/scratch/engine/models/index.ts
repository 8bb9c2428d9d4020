// torchvision.models.
export { resnet18, resnet34, resnet, ResNet, BasicBlock, conv1x1, conv3x3, buildQuietly, NO_NETWORK_MESSAGE, type ResNetOptions, type TorchvisionOptions } from './resnet';
