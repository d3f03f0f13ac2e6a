// Types for the espeak-ng npm package (eSpeak-NG compiled to WebAssembly by Emscripten), which ships none.
declare module 'espeak-ng' {
  interface ESpeakNgOptions {
    /** Command-line arguments of the espeak-ng program; main() runs once per instance. */
    arguments: string[];
    print?: (line: string) => void;
    printErr?: (line: string) => void;
    /** Emscripten hook to instantiate an already compiled module. */
    instantiateWasm?: (
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void
    ) => object;
  }
  interface ESpeakNgInstance {
    FS: { readFile(path: string): Uint8Array };
  }
  export default function ESpeakNg(options: ESpeakNgOptions): Promise<ESpeakNgInstance>;
}
