/** The two Image API versions we serve: 3.0 at /iiif/3 and 2.1 at /iiif/2. */
export type ApiVersion = 2 | 3;
