// Invitations: single-use survey links.
export { invitationRoutes } from './routes.js';
export {
  CLAIM_OPEN_LINKS_CTES,
  claimInvitations,
  createInvitations,
  forgetEmployeeLinks,
  getInvitation,
  type InvitationView,
  invitationLink,
  invitationLinkToken,
  invitationToken,
  type LinkTarget,
  linkTokenHash,
  listInvitations,
  type OpenedInvitation,
  openInvitation,
  surveyUrl,
} from './service.js';
