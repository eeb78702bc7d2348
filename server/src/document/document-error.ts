/**
 * A data file of a document (record, ALTO, plain text, translation) is missing or wrong.
 * Raised at start-up, so the message names the file, the field and the problem exactly.
 */
export class DocumentDataError extends Error {
  override name = 'DocumentDataError' as const;
  constructor(
    /** The file as the operator sees it, e.g. `manifests/<document>/record.json`. */
    readonly file: string,
    /** A JSON pointer into the file, or an ALTO path such as `TextLine[ID="l43-b1-l2"]/@HPOS`. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`Invalid document data in ${file} at ${field}: ${problem}`);
  }
}
