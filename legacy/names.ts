// How the stand-ins' search indexes compare names, kept apart from the adapters on purpose (a fake that
// compared names with the adapter's code would agree with the adapter's mistakes). Folds like a search
// analyser with ASCII folding: case, accents, spaces and punctuation do not count.

/** Letters that do not decompose into a base letter and an accent, folded as ASCII folding folds them. */
const FOLDS: Record<string, string> = { ß: 'SS', Ø: 'O', ø: 'O', Ł: 'L', ł: 'L', Æ: 'AE', æ: 'AE', Œ: 'OE', œ: 'OE', Đ: 'D', đ: 'D', Þ: 'TH', þ: 'TH', ı: 'I' };

/** The indexed form of a name: letters only, accents folded, upper case ("O'Brien-Smith" → "OBRIENSMITH"). */
export function indexedName(name: string | null | undefined): string {
  let out = '';
  for (const ch of (name ?? '').normalize('NFKD')) {
    const folded = FOLDS[ch] ?? ch.toUpperCase();
    if (/^[A-Z]+$/.test(folded)) out += folded;
  }
  return out;
}

/**
 * Informal forms of given names that staff key in instead of the name given at birth: the synthetic
 * population uses them to make records that only a name-variant match can join. The population's own
 * list, maintained here and not shared with the matching code it exercises.
 */
export const INFORMAL_FORENAMES: ReadonlyMap<string, string> = new Map([
  ['William', 'Bill'], ['Robert', 'Bob'], ['Michael', 'Mick'], ['Richard', 'Rick'], ['Joseph', 'Joe'],
  ['Thomas', 'Tom'], ['Christopher', 'Chris'], ['Daniel', 'Danny'], ['Matthew', 'Matt'], ['Anthony', 'Tony'],
  ['Steven', 'Steve'], ['Andrew', 'Andy'], ['Nicholas', 'Nick'], ['Jonathan', 'Jon'], ['Stephen', 'Steve'],
  ['Edward', 'Ted'], ['Elizabeth', 'Liz'], ['Margaret', 'Maggie'], ['Patricia', 'Pat'], ['Jennifer', 'Jenny'],
  ['Rebecca', 'Becky'], ['Susan', 'Sue'], ['Jessica', 'Jess'], ['Charlotte', 'Lottie'], ['Mohammed', 'Mohamed'],
  ['Kayleigh', 'Kayley'],
]);
