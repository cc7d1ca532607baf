// The instructor pages hand their markup to the client code by selector; markup that lost an
// element is a build mistake, said at once rather than as a null deep inside a handler.
export function pageElements(page: string): <T extends Element>(selector: string) => T {
  return <T extends Element>(selector: string): T => {
    const element = document.querySelector<T>(selector);
    if (element === null) throw new Error(`${page} is missing ${selector}`);
    return element;
  };
}
