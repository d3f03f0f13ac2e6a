// A Svelte attachment that draws an Observable Plot figure at the element's width, redraws it
// when the width changes, and hands a click on a pointed mark to `onPick` (the drill-down).
export function plotAttachment<T>(make: (width: number) => SVGSVGElement | HTMLElement, onPick?: (datum: T) => void) {
  return (node: HTMLElement) => {
    let width = node.clientWidth;
    const draw = () => {
      const figure = make(Math.max(280, node.clientWidth));
      if (onPick) {
        figure.style.cursor = 'pointer';
        figure.addEventListener('click', () => {
          const datum = (figure as unknown as { value?: T }).value;
          if (datum != null) onPick(datum);
        });
      }
      node.replaceChildren(figure);
    };
    draw();
    const observer = new ResizeObserver(() => {
      if (node.clientWidth !== width) {
        width = node.clientWidth;
        draw();
      }
    });
    observer.observe(node);
    return () => {
      observer.disconnect();
      node.replaceChildren();
    };
  };
}

/** "2026-07-01 09:15" (local wall time) as a Date on the UTC axis Plot draws it on. */
export function bucketDate(label: string): Date {
  return new Date(`${label.replace(' ', 'T')}:00Z`);
}
