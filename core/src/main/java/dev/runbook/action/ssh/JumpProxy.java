package dev.runbook.action.ssh;

import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A JSch {@link Proxy} that reaches the target through a {@code direct-tcpip} channel of an
 * already connected session: OpenSSH's {@code ProxyJump}, with no local port opened. The
 * target's host key is still verified end to end against the target's own name.
 */
public final class JumpProxy implements Proxy {

    private final Session jump;
    private ChannelDirectTCPIP channel;
    private InputStream in;
    private OutputStream out;

    /** @param jump the connected session to the jump host */
    public JumpProxy(Session jump) {
        this.jump = jump;
    }

    /**
     * Opens the tunnel to {@code host:port}.
     *
     * @param timeout connect timeout in ms (0: none)
     * @throws Exception when the jump host refuses the channel
     */
    @Override
    public void connect(SocketFactory socketFactory, String host, int port, int timeout) throws Exception {
        channel = (ChannelDirectTCPIP) jump.openChannel("direct-tcpip");
        channel.setHost(host);
        channel.setPort(port);
        in = channel.getInputStream();
        out = channel.getOutputStream();
        channel.connect(timeout);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    /** No socket of its own: the bytes travel in the jump session's channel. */
    @Override
    public Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.disconnect();
        }
    }
}
