// File formats.
export { loadFile, saveFile, parseHeader, floatToHalf, type SafetensorsDType, type SaveOptions, type FloatEncoding } from './safetensors';
