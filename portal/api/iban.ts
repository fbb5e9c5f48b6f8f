/**
 * IBANs as the portal keeps them (bank_accounts): checked by their ISO 13616 check digits, stored
 * without spaces in upper case, and never sent whole: the API shows `FR76 •••• 1234`.
 */

/** Country code, check digits, then 11 to 30 letters or digits (the longest IBAN has 34). */
const SHAPE = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;

/** The IBAN without spaces, in upper case, if it is one (its check digits right); else null. */
export function normalizeIban(input: string): string | null {
  const iban = input.replace(/[\s-]/g, '').toUpperCase();
  if (!SHAPE.test(iban)) return null;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1 ? iban : null;
}

/** "FR76 •••• 1234": enough for the member to recognise the account, too little to use it. */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)} •••• ${iban.slice(-4)}`;
}

/** The remainder by 97 of the number the IBAN spells (letters as 10–35), digit by digit. */
function mod97(rearranged: string): number {
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}
