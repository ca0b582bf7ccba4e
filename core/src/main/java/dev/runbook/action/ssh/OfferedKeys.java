package dev.runbook.action.ssh;

import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Vector;

/**
 * The keys offered to a host, in OpenSSH's order (ssh(1) {@code sshconnect2.c},
 * {@code pubkey_prepare}): the identity files that the ssh-agent holds (signed by the agent,
 * in the files' order), then the agent's other keys unless {@code IdentitiesOnly} is set, then
 * the identity files the agent does not hold. Read-only: nothing is ever added to the agent.
 */
final class OfferedKeys implements IdentityRepository {

    private final List<Identity> keys;

    /**
     * @param agent the agent's keys, in the agent's order (empty without an agent)
     * @param files the identity files' keys, in the config's order
     * @param identitiesOnly ssh_config(5) IdentitiesOnly
     */
    OfferedKeys(List<Identity> agent, List<Identity> files, boolean identitiesOnly) {
        List<Identity> ordered = new ArrayList<>();
        List<Identity> agentLeft = new ArrayList<>(agent);
        List<Identity> filesLeft = new ArrayList<>();
        for (Identity f : files) {
            Identity held = find(agentLeft, f.getPublicKeyBlob());
            if (held != null) {
                ordered.add(held);
                agentLeft.remove(held);
            } else {
                filesLeft.add(f);
            }
        }
        if (!identitiesOnly) {
            ordered.addAll(agentLeft);
        }
        ordered.addAll(filesLeft);
        this.keys = List.copyOf(ordered);
    }

    private static Identity find(List<Identity> in, byte[] blob) {
        if (blob == null) {
            return null;
        }
        for (Identity i : in) {
            if (Arrays.equals(i.getPublicKeyBlob(), blob)) {
                return i;
            }
        }
        return null;
    }

    /** How many keys are offered. */
    int size() {
        return keys.size();
    }

    @Override
    public String getName() {
        return "runbook offered keys";
    }

    @Override
    public int getStatus() {
        return RUNNING;
    }

    @Override
    public Vector<Identity> getIdentities() {
        return new Vector<>(keys);
    }

    @Override
    public boolean add(byte[] identity) {
        return false;
    }

    @Override
    public boolean remove(byte[] blob) {
        return false;
    }

    @Override
    public void removeAll() {
        // read-only
    }
}
