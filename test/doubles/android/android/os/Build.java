package android.os;

/** android.os.Build, reduced to the version checks. */
public class Build {
    public static class VERSION {
        /** Not a compile-time constant, as in the real class; the harness picks it with -Dstub.sdkInt. */
        public static final int SDK_INT = Integer.getInteger("stub.sdkInt", 36);
    }

    public static class VERSION_CODES {
        public static final int VANILLA_ICE_CREAM = 35;
    }
}
