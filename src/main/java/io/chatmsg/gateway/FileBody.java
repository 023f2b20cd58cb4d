package io.chatmsg.gateway;

import io.netty.buffer.ByteBuf;

/**
 * A piece of a PUT's body, passed on by {@link ChatFrameDecoder} after the PUT
 * line. {@code last} marks the piece that completes the declared size (a PUT of
 * 0 bytes gets one empty, last piece). Whoever receives it releases {@code data}.
 */
record FileBody(ByteBuf data, boolean last) {}
