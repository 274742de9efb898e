/**
 * What the errors about one file's contents have in common ({@link DataFileError} for the data sets,
 * `SafetensorsError`, `CheckpointError`): the message starts with the file's name, then says what is
 * wrong; the CLIs print it and exit with code 2. No file access, so the browser entry shares it.
 * @module
 */

/** An error about the file `file`; each kind of file has its own subclass, so callers can tell them apart. */
export class FileProblemError extends Error {
  /** The file (or URL, or a description of the bytes) the error is about, as it was given. */
  readonly file: string;

  /**
   * @param file - the path or URL of the offending file; the message starts with it.
   * @param problem - what is wrong and, where possible, what was expected or how to fix it.
   * @param options - `cause`: the underlying error (an `ENOENT`, a zlib error, a JSON syntax error).
   */
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`, options);
    this.name = new.target.name;
    this.file = file;
  }
}
