package com.mesibo.api;

/** Double of mesibo's profile of a user (mesibo/samples android/java/FirstApp/.../MainActivity.java, "FirstApp"). */
public class MesiboProfile {
    final String address;

    MesiboProfile(String address) { this.address = address; }

    // FirstApp: `MesiboMessage msg = mProfile.newMessage();`.
    public MesiboMessage newMessage() { return new MesiboMessage(this, false, true); }

    // FirstApp: `sender.getNameOrAddress()`; ui-modules-android MessageData.java: `msg.profile.getNameOrAddress()`.
    // The double's users have no names, so it is the address, as mesibo shows a profile without a name.
    public String getNameOrAddress() { return address; }
}
