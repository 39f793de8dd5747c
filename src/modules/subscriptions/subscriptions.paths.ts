// Paths of the subscription pages. Tokens travel in the path, never in a query string.
export const subscriptionPaths = {
  subscribe: () => '/subscribe',
  sent: () => '/subscribe/sent',
  removed: () => '/subscribe/removed',
  confirm: (token: string) => `/subscribe/confirm/${token}`,
  manage: (token: string) => `/subscribe/manage/${token}`,
  manageDelete: (token: string) => `/subscribe/manage/${token}/delete`,
  unsubscribe: (token: string) => `/unsubscribe/${token}`,
};
