package io.chatmsg.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * A piece of a PUT's body, passed on by {@link ChatFrameDecoder} after the PUT
 * line. {@code last} marks the piece that completes the declared size (a PUT of
 * 0 bytes gets one empty, last piece). Whoever receives it releases {@code data}.
 * Reference counted as its {@code data}: a piece still waiting in the flow-control
 * handler when the connection closes is released there with the lines around it.
 */
record FileBody(ByteBuf data, boolean last) implements ReferenceCounted {

    @Override
    public int refCnt() {
        return data.refCnt();
    }

    @Override
    public FileBody retain() {
        data.retain();
        return this;
    }

    @Override
    public FileBody retain(int increment) {
        data.retain(increment);
        return this;
    }

    @Override
    public FileBody touch() {
        data.touch();
        return this;
    }

    @Override
    public FileBody touch(Object hint) {
        data.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return data.release();
    }

    @Override
    public boolean release(int decrement) {
        return data.release(decrement);
    }
}
