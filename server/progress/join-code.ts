// Join codes people read aloud and type: no 0/O, 1/I/L, so nothing is ambiguous.
import { randomInt } from "node:crypto";

export const JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const JOIN_CODE_LENGTH = 6;

export function generateJoinCode(random: (max: number) => number = randomInt): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[random(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** What a person typed, as stored: upper case, spaces and dashes dropped ("abc-234" → "ABC234"). */
export function normalizeJoinCode(typed: string): string {
  return typed.replace(/[\s-]/g, "").toUpperCase();
}
