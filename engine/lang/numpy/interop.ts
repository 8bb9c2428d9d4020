// Arrays and tensors: torch.from_numpy / Tensor.numpy() share memory; torch.tensor(a), np.array(t) copy.
//
// Note: a tensor's storage is always contiguous (engine/tensor.ts), so from_numpy of a contiguous array hands the
// tensor a subarray view of the array's typed array: the same memory, and an in-place change through either is
// seen through the other, as in PyTorch. A non-contiguous array (a.T, a[:, 0]) is copied: PyTorch would share
// it with strides, which the engine's tensors do not have.
import { created } from '../../creation';
import { fromStorage as tensorFromStorage, Tensor } from '../../tensor';
import { refreshView } from '../../views';
import { runtimeError } from '../../context';
import { NDArray, cStrides, copyAs, flatData } from './ndarray';

/** torch.from_numpy(a): a leaf tensor over the array's memory (copied when the array is not contiguous). */
export function tensorSharing(a: NDArray, origin = 'from_numpy'): Tensor {
  const data = a.contiguous ? flatData(a) : copyAs(a).data;
  return created(tensorFromStorage(data, a.shape, a.dtype), origin);
}

/** A tensor holding a copy of the array (torch.tensor(a), or an array meeting a tensor in `t + a`). */
export function tensorCopy(a: NDArray, origin = 'tensor'): Tensor {
  return created(tensorFromStorage(copyAs(a).data, a.shape, a.dtype), origin);
}

/** A tensor's elements as an array without an event (torch.tensor(a)'s input: E.tensor copies it). */
export function rawTensor(a: NDArray): Tensor {
  return tensorFromStorage(copyAs(a).data, a.shape, a.dtype);
}

/** t.numpy(): an array over the tensor's memory, with PyTorch's refusal for a tensor that requires grad. */
export function arraySharing(t: Tensor): NDArray {
  if (t.requiresGrad) throw runtimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
  if (t.viewOf) refreshView(t);
  return new NDArray(t.data, t.shape.slice(), cStrides(t.shape), 0, t.dtype);
}

/** np.array(t): a copy of the tensor's elements (numpy's __array__, with the same refusal). */
export function arrayCopy(t: Tensor): NDArray {
  return copyAs(arraySharing(t));
}

export { Tensor };
