package dev.runbook.cli;

import dev.runbook.signing.AllowedSigners;
import dev.runbook.store.Store;

/**
 * What a run shares with the rest of the team (docs/team.md): the store its events are copied to
 * and approvals arrive through, and the allowed_signers file approvers are checked against.
 *
 * @param store the team store, or null
 * @param signers the library's allowed_signers, or null when there is none
 */
record Team(Store store, AllowedSigners signers) {

    /** A run on its own: no store, no allowed_signers. */
    static final Team NONE = new Team(null, null);
}
