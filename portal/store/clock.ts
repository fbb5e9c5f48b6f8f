/** The portal reads the time through this, so that tests can move it (token expiry). */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
