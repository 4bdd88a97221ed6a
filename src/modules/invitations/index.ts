// Invitations: single-use survey links.
export { invitationRoutes } from './routes.js';
export {
  claimInvitations,
  createInvitations,
  forgetEmployeeLinks,
  getInvitation,
  type InvitationView,
  invitationLink,
  invitationLinkToken,
  invitationToken,
  listInvitations,
  type OpenedInvitation,
  openInvitation,
  openInvitations,
  surveyUrl,
} from './service.js';
