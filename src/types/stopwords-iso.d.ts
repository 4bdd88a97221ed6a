// Types for stopwords-iso's JSON (ISO 639-1 code → stop words); the package ships none.
declare module 'stopwords-iso/stopwords-iso.json' {
  const lists: Record<string, string[]>;
  export default lists;
}
