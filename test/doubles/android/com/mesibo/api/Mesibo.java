package com.mesibo.api;

import android.content.Context;
import java.util.ArrayList;
import java.util.List;
import testing.TestHook;

/**
 * Double of mesibo's Android entry point (the AAR is not installable here: see ../../../README.md).
 * Every name is cited from mesibo's public code; "FirstApp" is mesibo/samples
 * android/java/FirstApp/app/src/main/java/com/mesibo/firstapp/MainActivity.java and "FirstAppKotlin" its
 * Kotlin twin android/kotlin/FirstAppKotlin/.../MainActivity.kt. Values follow mesibo/libmesibo
 * include/mesibo.h (MESIBO_STATUS_*), the numbering all of mesibo's SDKs share.
 */
public class Mesibo {
    // FirstApp: `Mesibo.STATUS_ONLINE == Mesibo.getConnectionStatus()`.
    public static final int STATUS_ONLINE = 1;
    // Not in mesibo's own Android code; used by Kotlin built against the AAR: fxjordan/flutter_mesibo
    // android/src/main/kotlin/de/buddyactivities/fluttermesibo/DelegatingConnectionListener.kt.
    public static final int STATUS_OFFLINE = 2;
    // mesibo/messenger-app-android app/src/main/java/org/mesibo/messenger/MesiboListeners.java.
    public static final int STATUS_SIGNOUT = 3;
    // FirstApp: `if(Mesibo.STATUS_AUTHFAIL == status)`.
    public static final int STATUS_AUTHFAIL = 4;
    // As STATUS_OFFLINE: fxjordan/flutter_mesibo DelegatingConnectionListener.kt.
    public static final int STATUS_STOPPED = 5;
    // mesibo/ui-modules-android Messaging/messaging/src/main/java/com/mesibo/messaging/MessagingFragment.java.
    public static final int STATUS_CONNECTING = 6;
    // MessagingFragment.java (ui-modules-android).
    public static final int STATUS_CONNECTFAILURE = 7;
    // MessagingFragment.java (ui-modules-android).
    public static final int STATUS_NONETWORK = 8;
    // MessagingFragment.java and UserListFragment.java (ui-modules-android); C and iOS spell it SUSPEND.
    public static final int STATUS_SUSPENDED = 10;
    // MessagingFragment.java (ui-modules-android).
    public static final int STATUS_SHUTDOWN = 22;

    // FirstApp: `implements Mesibo.ConnectionListener`, `public void Mesibo_onConnectionStatus(int status)`.
    public interface ConnectionListener {
        void Mesibo_onConnectionStatus(int status);
    }

    // FirstApp implements Mesibo.MessageListener with these three; so does ui-modules-android
    // Messaging/.../ShowProfileFragment.java.
    public interface MessageListener {
        void Mesibo_onMessage(MesiboMessage msg);

        void Mesibo_onMessageStatus(MesiboMessage msg);

        void Mesibo_onMessageUpdate(MesiboMessage msg);
    }

    /** One line per call, e.g. "setAccessToken <token>", for the harness transcript. */
    @TestHook
    public static final List<String> calls = new ArrayList<>();
    @TestHook
    public static final List<Object> listeners = new ArrayList<>();
    private static final Mesibo instance = new Mesibo();
    private static String appId = "";

    // FirstApp: `Mesibo api = Mesibo.getInstance();`.
    public static Mesibo getInstance() { return instance; }

    // FirstApp: `api.init(getApplicationContext());`. The appid is the application id (package name).
    public void init(Context context) {
        calls.add("init");
        appId = context.getPackageName();
    }

    // FirstApp: `Mesibo.addListener(this);` with the activity as every kind of listener at once.
    public static void addListener(Object listener) {
        calls.add("addListener");
        listeners.add(listener);
    }

    // FirstApp: `Mesibo.setAccessToken(user.token);` (the result is unused there and in the starter).
    public static int setAccessToken(String token) {
        calls.add("setAccessToken " + token);
        return 0;
    }

    // One argument (FirstApp: `Mesibo.setDatabase("mydb");`); it answers whether the database opened
    // (ui-modules-android MesiboCall/MainActivity.java: `boolean res = mesibo.setDatabase("callapp.db");`).
    public static boolean setDatabase(String name) {
        calls.add("setDatabase " + name);
        return true;
    }

    // FirstApp: `Mesibo.start();` (the result is unused there and in the starter).
    public static int start() {
        calls.add("start");
        return 0;
    }

    // FirstApp: `mProfile = Mesibo.getProfile(remoteUser.address);`.
    public static MesiboProfile getProfile(String address) {
        calls.add("getProfile " + address);
        return new MesiboProfile(address);
    }

    // FirstApp: `"... used appid \"" + Mesibo.getAppIdForAccessToken() + "\" to generate ..."`.
    public static String getAppIdForAccessToken() { return appId; }

    /** What mesibo's connection thread does on a status change. */
    @TestHook
    public static void emitConnectionStatus(int status) {
        for (Object l : listeners) if (l instanceof ConnectionListener) ((ConnectionListener) l).Mesibo_onConnectionStatus(status);
    }

    /** A message arriving from the network. */
    @TestHook
    public static void emitMessage(MesiboMessage msg) {
        for (Object l : listeners) if (l instanceof MessageListener) ((MessageListener) l).Mesibo_onMessage(msg);
    }
}
