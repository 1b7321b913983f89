/** The sample app's demo keys (sample-app/fixtures/api-keys.json), by role. */
export const DEMO_KEYS = {
  authority: 'demo_authority_org_a_4f9c2e7b1d',
  local: 'demo_local_org_a_8b3d1f6a2c',
  network: 'demo_network_org_b_2e7c9a4f1b',
  addon: 'demo_addon_org_b_6d1b8e3c7a',
  trial: 'demo_trial_org_c_9a2f4c6e8d',
  trialExpired: 'demo_trial_expired_org_c_3c8e1a5f7b',
  revoked: 'demo_revoked_org_a_7f3a9c1e5d',
  expired: 'demo_expired_org_a_1b5d7f9a3c',
  ipDenied: 'demo_ipdenied_org_a_5e9b3d7f1a',
  ipAllowed: 'demo_localhost_org_a_0c4e8a2f6b',
  hashed: 'demo_hashed_org_a_d4e6f8a0b2',
} as const;
