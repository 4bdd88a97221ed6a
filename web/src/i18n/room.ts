/** @module The shape of a room's own texts: the Russian side has the English keys (and may add plural forms). */
export type RoomTexts<En> = {
  [Section in keyof En]: { [Key in keyof En[Section]]: string } & Record<string, string>;
};
