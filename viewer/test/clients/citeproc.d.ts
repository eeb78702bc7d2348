// citeproc-js (npm `citeproc`) ships no types: the part of its engine the tests use.
declare module 'citeproc' {
  interface Sys {
    retrieveLocale(lang: string): string;
    retrieveItem(id: string): unknown;
  }
  class Engine {
    constructor(sys: Sys, style: string, lang?: string, forceLang?: boolean);
    updateItems(ids: readonly string[]): void;
    setOutputFormat(format: 'html' | 'text' | 'rtf'): void;
    makeBibliography(): [unknown, string[]] | false;
    makeCitationCluster(items: readonly { id: string }[]): string;
  }
  const CSL: { Engine: typeof Engine };
  export default CSL;
}
