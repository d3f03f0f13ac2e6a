// A binary min-heap on a numeric `key`, for the agents' next-free times and scheduled repeat calls.
export class MinHeap<T extends { key: number }> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent].key <= item.key) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Re-establishes order after the top item's key grew. */
  topChanged(): void {
    this.siftDown(0);
  }

  private siftDown(start: number): void {
    const a = this.items;
    const n = a.length;
    const item = a[start];
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && a[child + 1].key < a[child].key) child++;
      if (a[child].key >= item.key) break;
      a[i] = a[child];
      i = child;
    }
    a[i] = item;
  }
}
