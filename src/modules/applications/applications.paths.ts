// Paths of the public pages for press offices that want to join.
export const applicationPaths = {
  join: () => '/join',
  sent: () => '/join/sent',
  confirm: (token: string) => `/join/confirm/${token}`,
  confirmed: () => '/join/confirmed',
};
