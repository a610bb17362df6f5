package com.mesibo.api;

public class MesiboMessage {
    public String message;
    public MesiboProfile profile;
    private final boolean incoming;

    MesiboMessage(MesiboProfile profile, boolean incoming) {
        this.profile = profile;
        this.incoming = incoming;
    }

    /** Test hook: a message from `from` as mesibo would deliver it. */
    public static MesiboMessage incoming(String from, String text) {
        MesiboMessage msg = new MesiboMessage(new MesiboProfile(from), true);
        msg.message = text;
        return msg;
    }

    public boolean isIncoming() { return incoming; }

    public int send() {
        Mesibo.calls.add("send " + profile.address + " " + message);
        return 0;
    }
}
