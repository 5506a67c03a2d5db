// Telling a likely misspelling from a different word, for the "did you mean" of config errors.
import { distance } from "fastest-levenshtein";

/**
 * Whether `word` looks like a slip for `meant`: the same but for case, one letter off (two in a name of eight or
 * more letters), or two neighbouring letters swapped.
 */
export function looksLike(word: string, meant: string): boolean {
    const [a, b] = [word.toLowerCase(), meant.toLowerCase()];
    if (a === b) {
        return true;
    }
    return distance(a, b) <= (b.length >= 8 ? 2 : 1) || swapsNeighbours(a, b);
}

/** The candidate `word` most likely was meant to be, if any looks like it. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
    return candidates
        .filter((candidate) => candidate !== word && looksLike(word, candidate))
        .sort((x, y) => distance(word, x) - distance(word, y))[0];
}

function swapsNeighbours(a: string, b: string): boolean {
    if (a.length !== b.length) {
        return false;
    }
    const differ = [...a].flatMap((letter, index) => (letter === b[index] ? [] : [index]));
    return (
        differ.length === 2 &&
        differ[1] === differ[0] + 1 &&
        a[differ[0]] === b[differ[1]] &&
        a[differ[1]] === b[differ[0]]
    );
}
