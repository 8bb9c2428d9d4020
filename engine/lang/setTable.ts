// CPython 3.11's set hash table (Objects/setobject.c), replayed so that a set prints and iterates in
// CPython's order: open addressing with linear probes then perturbed jumps, dummies left by removals (they
// shift where later members land until a resize drops them), the resizes at 3/5 fill, set.pop's finger.
//
// Note: this is only possible for members whose hash is portable: ints, bools, floats and tuples of them
// (Python's own hash of a str changes from run to run, of None and objects with their address). A set
// holding anything else drops its table and keeps the order of adding (see PySet).

/** The dummy a removal leaves behind (a key slot that is neither empty nor a member). */
const DUMMY = Symbol('dummy');
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;
const U64 = (1n << 64n) - 1n;
const MINSIZE = 8;

type Slot<K> = K | typeof DUMMY | undefined;

/** CPython's hash of an int, bool, float or tuple of those (as an unsigned 64-bit value); undefined otherwise. */
export function portableHash(v: unknown): bigint | undefined {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? intHash(BigInt(v)) : floatHash(v);
  if (typeof v === 'bigint') return intHash(v);
  if (typeof v === 'object' && v !== null) {
    const o = v as { typeName?: string; value?: unknown; items?: unknown };
    if (o.typeName === 'float' && typeof o.value === 'number') return floatHash(o.value);
    if (o.typeName === 'tuple' && Array.isArray(o.items)) return tupleHash(o.items);
  }
  return undefined;
}

const MODULUS = (1n << 61n) - 1n;

function signed(h: bigint): bigint {
  return h === U64 ? U64 - 1n : h; // -1 is reserved for errors: hash(-1) == -2
}

function intHash(v: bigint): bigint {
  const neg = v < 0n;
  let h = (neg ? -v : v) % MODULUS;
  if (neg) h = -h;
  return signed(BigInt.asUintN(64, h));
}

/** _Py_HashDouble. NaN hashes by address in 3.11: no portable hash. */
function floatHash(v: number): bigint | undefined {
  if (Number.isNaN(v)) return undefined;
  if (!Number.isFinite(v)) return BigInt.asUintN(64, v > 0 ? 314159n : -314159n);
  if (Number.isInteger(v)) return intHash(BigInt(v));
  // frexp: v = m * 2**e with 0.5 <= |m| < 1.
  let e = 0;
  let m = Math.abs(v);
  const sign = v < 0 ? -1n : 1n;
  while (m >= 1) {
    m /= 2;
    e++;
  }
  while (m < 0.5) {
    m *= 2;
    e--;
  }
  let x = 0n;
  while (m !== 0) {
    x = ((x << 28n) & MODULUS) | (x >> (61n - 28n));
    m *= 268435456.0;
    e -= 28;
    const y = Math.floor(m);
    m -= y;
    x += BigInt(y);
    if (x >= MODULUS) x -= MODULUS;
  }
  const eb = BigInt(e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61));
  x = ((x << eb) & MODULUS) | (x >> (61n - eb));
  return signed(BigInt.asUintN(64, x * sign));
}

const XXPRIME_1 = 11400714785074694791n;
const XXPRIME_2 = 14029467366897019727n;
const XXPRIME_5 = 2870177450012600261n;

function tupleHash(items: unknown[]): bigint | undefined {
  let acc = XXPRIME_5;
  for (const item of items) {
    const lane = portableHash(item);
    if (lane === undefined) return undefined;
    acc = BigInt.asUintN(64, acc + lane * XXPRIME_2);
    acc = ((acc << 31n) | (acc >> 33n)) & U64;
    acc = BigInt.asUintN(64, acc * XXPRIME_1);
  }
  acc = BigInt.asUintN(64, acc + (BigInt(items.length) ^ (XXPRIME_5 ^ 3527539n)));
  return acc === U64 ? 1546275796n : acc;
}

/** A set's table: members of type K with their hashes; `same` tells two keys equal (the set's own key test). */
export class SetTable<K> {
  private keys: Slot<K>[] = new Array(MINSIZE);
  private hashes: bigint[] = new Array(MINSIZE);
  private mask = MINSIZE - 1;
  /** Members and dummies. */
  private fill = 0;
  private used = 0;
  /** Where set.pop looks first. */
  private finger = 0;

  constructor(private readonly same: (a: K, b: K) => boolean) {}

  /** The members in table order. */
  members(): K[] {
    const out: K[] = [];
    for (const k of this.keys) if (k !== undefined && k !== DUMMY) out.push(k);
    return out;
  }

  /** set_add_entry: the last dummy on the probe path takes the key, else the empty slot that ends it. */
  add(key: K, hash: bigint): void {
    const mask = BigInt(this.mask);
    let i = hash & mask;
    let perturb = hash;
    let freeslot = -1;
    for (;;) {
      const base = Number(i);
      const probes = base + LINEAR_PROBES <= this.mask ? LINEAR_PROBES : 0;
      for (let j = 0; j <= probes; j++) {
        const s = base + j;
        const k = this.keys[s];
        if (k === undefined) {
          this.used++;
          if (freeslot >= 0) {
            this.keys[freeslot] = key;
            this.hashes[freeslot] = hash;
            return;
          }
          this.keys[s] = key;
          this.hashes[s] = hash;
          this.fill++;
          if (this.fill * 5 >= this.mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
          return;
        }
        if (k === DUMMY) freeslot = s; // the last dummy on the path (3.11 keeps no `freeslot == NULL` test)
        else if (this.hashes[s] === hash && this.same(k, key)) return;
      }
      perturb >>= PERTURB_SHIFT;
      i = (i * 5n + 1n + perturb) & mask;
    }
  }

  /** set_discard_entry: the member's slot becomes a dummy. */
  discard(key: K, hash: bigint): boolean {
    const s = this.lookup(key, hash);
    if (s < 0) return false;
    this.keys[s] = DUMMY;
    this.used--;
    return true;
  }

  /** set.pop: the first member from the finger on, wrapping around. */
  pop(): K | undefined {
    if (this.used === 0) return undefined;
    let s = this.finger & this.mask;
    for (;;) {
      const k = this.keys[s];
      if (k !== undefined && k !== DUMMY) {
        this.keys[s] = DUMMY;
        this.used--;
        this.finger = s + 1;
        return k;
      }
      s = s + 1 > this.mask ? 0 : s + 1;
    }
  }

  /** set_swap_bodies (`&=`): another table's slots and counts; the pop finger stays this set's. */
  takeBody(other: SetTable<K>): void {
    this.keys = other.keys;
    this.hashes = other.hashes;
    this.mask = other.mask;
    this.fill = other.fill;
    this.used = other.used;
  }

  clear(): void {
    this.keys = new Array(MINSIZE);
    this.hashes = new Array(MINSIZE);
    this.mask = MINSIZE - 1;
    this.fill = 0;
    this.used = 0;
  }

  /** set_merge: `a |= b`, `a.update(b)`, `set(b)`: one resize first, then the members of `other` in its table order. */
  merge(other: SetTable<K>): void {
    if (other === this || other.used === 0) return;
    if ((this.fill + other.used) * 5 >= this.mask * 3) this.resize((this.used + other.used) * 2);
    if (this.fill === 0 && this.mask === other.mask && other.fill === other.used) {
      // An empty table of the same size, and no dummies to drop: a copy slot for slot.
      this.keys = other.keys.slice();
      this.hashes = other.hashes.slice();
      this.fill = other.fill;
      this.used = other.used;
      return;
    }
    if (this.fill === 0) {
      for (let s = 0; s <= other.mask; s++) {
        const k = other.keys[s];
        if (k !== undefined && k !== DUMMY) this.insertClean(k, other.hashes[s]);
      }
      this.fill = this.used = other.used;
      return;
    }
    for (let s = 0; s <= other.mask; s++) {
      const k = other.keys[s];
      if (k !== undefined && k !== DUMMY) this.add(k, other.hashes[s]);
    }
  }

  /** Room for `n` more before adding them one by one (set_update_internal over a dict). */
  reserve(n: number): void {
    if ((this.fill + n) * 5 >= this.mask * 3) this.resize((this.used + n) * 2);
  }

  /** The end of set_difference_update_internal: more than a quarter dummies are resized away. */
  compactAfterRemovals(): void {
    if (this.fill - this.used <= Math.floor(this.mask / 4)) return;
    this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
  }

  get size(): number {
    return this.used;
  }

  /** Each member with its hash, in table order. */
  *entries(): Generator<[K, bigint]> {
    for (let s = 0; s <= this.mask; s++) {
      const k = this.keys[s];
      if (k !== undefined && k !== DUMMY) yield [k, this.hashes[s]];
    }
  }

  private lookup(key: K, hash: bigint): number {
    const mask = BigInt(this.mask);
    let i = hash & mask;
    let perturb = hash;
    for (;;) {
      const base = Number(i);
      const probes = base + LINEAR_PROBES <= this.mask ? LINEAR_PROBES : 0;
      for (let j = 0; j <= probes; j++) {
        const s = base + j;
        const k = this.keys[s];
        if (k === undefined) return -1;
        if (k !== DUMMY && this.hashes[s] === hash && this.same(k, key)) return s;
      }
      perturb >>= PERTURB_SHIFT;
      i = (i * 5n + 1n + perturb) & mask;
    }
  }

  private insertClean(key: K, hash: bigint): void {
    const mask = BigInt(this.mask);
    let i = hash & mask;
    let perturb = hash;
    for (;;) {
      const base = Number(i);
      const probes = base + LINEAR_PROBES <= this.mask ? LINEAR_PROBES : 0;
      for (let j = 0; j <= probes; j++) {
        if (this.keys[base + j] === undefined) {
          this.keys[base + j] = key;
          this.hashes[base + j] = hash;
          return;
        }
      }
      perturb >>= PERTURB_SHIFT;
      i = (i * 5n + 1n + perturb) & mask;
    }
  }

  /** set_table_resize: the smallest power of two above `minused`; members re-inserted in old table order, dummies dropped. */
  private resize(minused: number): void {
    let size = MINSIZE;
    while (size <= minused) size <<= 1;
    const oldKeys = this.keys;
    const oldHashes = this.hashes;
    this.keys = new Array(size);
    this.hashes = new Array(size);
    this.mask = size - 1;
    this.fill = this.used;
    for (let s = 0; s < oldKeys.length; s++) {
      const k = oldKeys[s];
      if (k !== undefined && k !== DUMMY) this.insertClean(k, oldHashes[s]);
    }
  }
}
