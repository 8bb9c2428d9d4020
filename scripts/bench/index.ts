// The list of benchmark suites, in print order. To add rows, write a Suite (see ./types) in its own
// file here and list it below; nothing registers itself on import.
import type { Suite } from './types';
import { kernelSuite } from './kernels';
import { engineSuite } from './engine';

export const SUITES: { name: string; suite: Suite }[] = [
  { name: 'kernels', suite: kernelSuite },
  { name: 'engine', suite: engineSuite },
];
