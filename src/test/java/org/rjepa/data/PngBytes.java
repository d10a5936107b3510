package org.rjepa.data;

import java.util.zip.CRC32;

/** Edits of a PNG's IHDR chunk, with its CRC made right again, so only the size lies. */
final class PngBytes {
    /** Offset of the width in a PNG: 8 signature bytes, 4 length, 4 "IHDR". */
    private static final int WIDTH_AT = 16;

    private PngBytes() {
    }

    static void setSize(byte[] png, int width, int height) {
        putInt(png, WIDTH_AT, width);
        putInt(png, WIDTH_AT + 4, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        putInt(png, 12 + 4 + 13, (int) crc.getValue());
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
