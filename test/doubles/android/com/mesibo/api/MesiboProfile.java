package com.mesibo.api;

public class MesiboProfile {
    final String address;

    MesiboProfile(String address) { this.address = address; }

    public MesiboMessage newMessage() { return new MesiboMessage(this, false); }

    /** The double has no names, so this is the address (as mesibo does for a profile without a name). */
    public String getNameOrAddress(String prefix) { return prefix + address; }
}
