package com.mesibo.api;

import java.nio.charset.StandardCharsets;
import testing.TestHook;

/**
 * Double of mesibo's message (names cited from mesibo/samples android/java/FirstApp/.../MainActivity.java,
 * "FirstApp", and mesibo/ui-modules-android Messaging/messaging/src/main/java/com/mesibo/messaging/).
 */
public class MesiboMessage {
    // FirstApp: `msg.message = message;` (a field); ui-modules MessageData.java reads `msg.message`.
    public String message;
    // FirstApp sendBinaryMessage(byte[] data): `msg.data = data;`.
    public byte[] data;
    // FirstApp: `MesiboProfile sender = msg.profile;`.
    public MesiboProfile profile;
    private final boolean incoming;
    private final boolean rich;

    MesiboMessage(MesiboProfile profile, boolean incoming, boolean rich) {
        this.profile = profile;
        this.incoming = incoming;
        this.rich = rich;
    }

    /** A rich message from `from`, its text in `message`, as mesibo delivers one. */
    @TestHook
    public static MesiboMessage incoming(String from, String text) {
        MesiboMessage msg = new MesiboMessage(new MesiboProfile(from), true, true);
        msg.message = text;
        return msg;
    }

    /** A plain message from `from`: raw data only (like FirstApp's sendBinaryMessage). */
    @TestHook
    public static MesiboMessage incomingData(String from, String text) {
        MesiboMessage msg = new MesiboMessage(new MesiboProfile(from), true, false);
        msg.data = text.getBytes(StandardCharsets.UTF_8);
        return msg;
    }

    // FirstApp: `if(msg.isIncoming())`.
    public boolean isIncoming() { return incoming; }

    // ui-modules MessagingFragment.java: `if(!m.isRichMessage())`.
    public boolean isRichMessage() { return rich; }

    // FirstApp: `msg.send();` (the result is unused there and in the starter).
    public int send() {
        Mesibo.calls.add("send " + profile.address + " " + message);
        return 0;
    }
}
