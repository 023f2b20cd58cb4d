package io.chatmsg.admin;

/**
 * The client criteria as they arrive (form fields, query parameters or JSON),
 * every field optional and not yet checked; {@link #selector()} checks them.
 */
record Selection(String idPrefix, String address, String transport, Double minMessagesPerMinute) {

    static final Selection EVERYONE = new Selection(null, null, null, null);

    /** The checked selector; throws {@link IllegalArgumentException} with a reason a person can act on. */
    ClientSelector selector() {
        return new ClientSelector(idPrefix, address, transport, minMessagesPerMinute);
    }
}
