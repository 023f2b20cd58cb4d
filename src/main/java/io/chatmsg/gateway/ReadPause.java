package io.chatmsg.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flow.FlowControlHandler;

/**
 * Stops and resumes reading one connection. While reading is stopped, what the last read
 * had already framed waits, in order, in Netty's {@link FlowControlHandler} ahead of the
 * command handler, which hands it on one message per read. That handler is in the
 * pipeline only while it may hold something: {@link #stop} puts it there (the framer's
 * next message of the same read already goes through it), and {@link #resume} takes it
 * out once reading is on again and it has handed on all it held. A connection that reads
 * normally (an idle one) keeps no handler context for it.
 */
final class ReadPause {

    private ReadPause() {}

    /** From the command handler's context: reading stops, and the rest of this read waits. */
    static void stop(ChannelHandlerContext commands) {
        ChannelPipeline p = commands.pipeline();
        if (p.get(PipelineNames.FLOW_CONTROL) == null && !commands.isRemoved()) {
            p.addBefore(commands.name(), PipelineNames.FLOW_CONTROL, new FlowControlHandler());
        }
        commands.channel().config().setAutoRead(false);
    }

    /**
     * Reading resumes: turning it on hands on what waited (Netty's handler does, on the
     * read that follows), until a message stops reading again. If none did, everything is
     * through and the handler leaves.
     */
    static void resume(ChannelHandlerContext commands) {
        commands.channel().config().setAutoRead(true);
        if (commands.channel().config().isAutoRead()) {
            ChannelHandler waiting = commands.pipeline().get(PipelineNames.FLOW_CONTROL);
            if (waiting != null) {
                commands.pipeline().remove(waiting);
            }
        }
    }

    /** True while the flow-control handler is in the pipeline (tests). */
    static boolean holding(ChannelPipeline p) {
        return p.get(PipelineNames.FLOW_CONTROL) != null;
    }
}
