/** What a student wants from the tutor, read from their words. */
export type Intent = 'check' | 'answer' | 'another-hint' | 'how' | 'hint' | 'explain' | 'greeting' | 'general';

/** Ordered: the first rule that matches wins ("how do I get the answer?" is a request for the answer). */
const RULES: ReadonlyArray<[Intent, RegExp]> = [
  ['check', /\b(i got|i think it'?s|is it|is that (right|correct)|is this (right|correct)|did i get|my answer|am i right)\b/],
  ['answer', /\b(the answer|answers?\s+(is|to|for)|solution|solve it for me|just tell me|give me the answer|what('?s| is) x)\b/],
  ['another-hint', /\b(another|more|next|further|stronger|bigger|extra|better)\s+(hint|clue|help|tip)\b|\bstill stuck\b|\bmore explicit\b/],
  ['how', /\bhow (do|can|should|would|to)\b|\bsteps?\b|\bstep by step\b|\bmethod\b|\bwork (it|this|that) out\b|\bwhere (do|should) i (start|begin)\b/],
  ['hint', /\b(hint|clue|stuck|help|nudge|tip)\b/],
  ['explain', /\b(explain|why|what (is|are|does|do)|meaning|means?|understand|confused|don'?t get)\b/],
  ['greeting', /^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening))\b/],
];

export function readIntent(text: string): Intent {
  const lower = text.toLowerCase();
  for (const [intent, pattern] of RULES) if (pattern.test(lower)) return intent;
  return 'general';
}
