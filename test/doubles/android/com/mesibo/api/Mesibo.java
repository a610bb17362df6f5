package com.mesibo.api;

import android.content.Context;
import java.util.ArrayList;
import java.util.List;

/** mesibo's Android entry point, reduced to what mesibo-reference.md lists; records every call. */
public class Mesibo {
    public static final int STATUS_UNKNOWN = 0;
    public static final int STATUS_ONLINE = 1;
    public static final int STATUS_OFFLINE = 2;
    public static final int STATUS_SIGNOUT = 3;
    public static final int STATUS_AUTHFAIL = 4;
    public static final int STATUS_STOPPED = 5;
    public static final int STATUS_CONNECTING = 6;
    public static final int STATUS_CONNECTFAILURE = 7;
    public static final int STATUS_NONETWORK = 8;
    public static final int STATUS_ONPREMISEERROR = 9;
    public static final int STATUS_SUSPEND = 10;

    public interface ConnectionListener {
        void Mesibo_onConnectionStatus(int status);
    }

    public interface MessageListener {
        void Mesibo_onMessage(MesiboMessage msg);

        void Mesibo_onMessageStatus(MesiboMessage msg);

        void Mesibo_onMessageUpdate(MesiboMessage msg);
    }

    /** Test record: one line per call, e.g. "setAccessToken <token>". */
    public static final List<String> calls = new ArrayList<>();
    public static final List<Object> listeners = new ArrayList<>();
    private static final Mesibo instance = new Mesibo();

    public static Mesibo getInstance() { return instance; }

    public void init(Context context) { calls.add("init"); }

    public static void addListener(Object listener) {
        calls.add("addListener");
        listeners.add(listener);
    }

    public static int setAccessToken(String token) {
        calls.add("setAccessToken " + token);
        return 0;
    }

    public static boolean setDatabase(String name, int resetTables) {
        calls.add("setDatabase " + name + " " + resetTables);
        return true;
    }

    public static int start() {
        calls.add("start");
        return 0;
    }

    public static MesiboProfile getProfile(String address) {
        calls.add("getProfile " + address);
        return new MesiboProfile(address);
    }

    /** Test hook: what mesibo's connection thread does on a status change. */
    public static void emitConnectionStatus(int status) {
        for (Object l : listeners) if (l instanceof ConnectionListener) ((ConnectionListener) l).Mesibo_onConnectionStatus(status);
    }

    /** Test hook: a message arriving from the network. */
    public static void emitMessage(MesiboMessage msg) {
        for (Object l : listeners) if (l instanceof MessageListener) ((MessageListener) l).Mesibo_onMessage(msg);
    }
}
