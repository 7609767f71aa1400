/**
 * `text` without the run of `chars` at its end. Linear, where `text.replace(/[…]+$/, '')` is
 * quadratic: the engine tries the run from each of its characters and, when something else
 * follows the run, fails each time at its end (60,000 spaces in the middle of a .helmignore line
 * took minutes).
 */
export function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text.charAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}
