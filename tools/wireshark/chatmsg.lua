-- CHAT-MSG/1 dissector for Wireshark and tshark (docs/wireshark.md).
--
--   wireshark -X lua_script:tools/wireshark/chatmsg.lua
--   tshark -X lua_script:tools/wireshark/chatmsg.lua -r capture.pcap -Y chatmsg
--
-- Decodes TCP and UDP port 12345 (other ports: Decode As..., or
-- tshark -d tcp.port==7000,chatmsg). One tree item per line, with the fields
-- chatmsg.verb, chatmsg.code, chatmsg.target, chatmsg.text (and chatmsg.from,
-- chatmsg.size, chatmsg.name, chatmsg.body, and chatmsg.cookie for UDP's
-- "428 VERIFY <cookie>" and "VERIFY <cookie>"). A line split across TCP segments
-- is reassembled; a segment with many lines shows them all. The raw bytes
-- after a PUT line (client to server) and after "200 GET ..." (server to
-- client) are file bodies, shown as such and never read as lines.

local chatmsg = Proto("chatmsg", "CHAT-MSG/1")

local f_line   = ProtoField.string("chatmsg.line", "Line")
local f_verb   = ProtoField.string("chatmsg.verb", "Verb")
local f_code   = ProtoField.uint16("chatmsg.code", "Reply code")
local f_more   = ProtoField.bool("chatmsg.continuation", "Continuation line (more follow)")
local f_target = ProtoField.string("chatmsg.target", "Target")
local f_from   = ProtoField.string("chatmsg.from", "From")
local f_text   = ProtoField.string("chatmsg.text", "Text")
local f_size   = ProtoField.uint64("chatmsg.size", "File size")
local f_name   = ProtoField.string("chatmsg.name", "File name")
local f_body   = ProtoField.bytes("chatmsg.body", "File body bytes")
local f_cookie = ProtoField.string("chatmsg.cookie", "UDP address cookie")
chatmsg.fields = { f_line, f_verb, f_code, f_more, f_target, f_from, f_text, f_size, f_name, f_body, f_cookie }

local DEFAULT_PORT = 12345
local f_stream = Field.new("tcp.stream")

-- Body bytes still expected per TCP stream and direction, while reading the capture
-- in order; and, per frame, what was pending when that frame began (so a second
-- pass, or clicking a packet later, sees the same thing).
local body_left = {}
local frame_pending = {}

-- Splits "word rest" at the first run of spaces.
local function word(s)
    local w, rest = s:match("^ *([^ ]+) ?(.*)$")
    return w, rest or ""
end

-- Adds the fields of one line to the tree; returns a short summary for the Info
-- column and, for a PUT or a "200 GET" reply, the size of the body that follows.
local function line_fields(tree, tvb_line, text, from_client)
    local body = nil
    local code, sep, rest = text:match("^(%d%d%d)([ -])(.*)$")
    if code then
        tree:add(f_code, tvb_line, tonumber(code))
        if sep == "-" then
            tree:add(f_more, tvb_line, true)
        end
        tree:add(f_text, tvb_line, rest)
        if code == "428" and sep == " " then
            -- UDP: the address must prove it receives datagrams first.
            local cookie = rest:match("^VERIFY ([^ ]+)")
            if cookie then tree:add(f_cookie, tvb_line, cookie) end
        end
        if code == "200" and sep == " " and not from_client then
            local id, size, name = rest:match("^GET ([^ ]+) (%d+) (.*)$")
            if id then
                tree:add(f_target, tvb_line, id)
                tree:add(f_size, tvb_line, UInt64.fromhex(string.format("%x", tonumber(size))))
                tree:add(f_name, tvb_line, name)
                body = tonumber(size)
            end
        end
        return text, body
    end
    local verb, args = word(text)
    if verb == nil then
        return "(blank)", nil
    end
    verb = verb:upper()
    tree:add(f_verb, tvb_line, verb)
    local summary = verb
    if verb == "MSG" and not from_client then
        -- Event: MSG <from> <to> <text>
        local from, r1 = word(args)
        local to, r2 = word(r1)
        if from then tree:add(f_from, tvb_line, from) end
        if to then tree:add(f_target, tvb_line, to) end
        tree:add(f_text, tvb_line, r2)
        summary = "MSG " .. (from or "?") .. " \226\134\146 " .. (to or "?") .. ": " .. r2
    elseif verb == "MSG" then
        local to, r1 = word(args)
        if to then tree:add(f_target, tvb_line, to) end
        tree:add(f_text, tvb_line, r1)
        summary = "MSG " .. (to or "?") .. ": " .. r1
    elseif verb == "FILE" then
        -- Event: FILE <from> <to> <file-id> <size> <name>
        local from, to, id, size, name = args:match("^([^ ]+) ([^ ]+) ([^ ]+) (%d+) (.*)$")
        if from then
            tree:add(f_from, tvb_line, from)
            tree:add(f_target, tvb_line, to)
            tree:add(f_text, tvb_line, id)
            tree:add(f_size, tvb_line, UInt64.fromhex(string.format("%x", tonumber(size))))
            tree:add(f_name, tvb_line, name)
        end
        summary = "FILE " .. args
    elseif verb == "PUT" and from_client then
        local to, size, name = args:match("^ *([^ ]+) +(%d+) ?(.*)$")
        if to then
            tree:add(f_target, tvb_line, to)
            tree:add(f_size, tvb_line, UInt64.fromhex(string.format("%x", tonumber(size))))
            tree:add(f_name, tvb_line, name)
            body = tonumber(size)
        end
        summary = "PUT " .. args
    elseif verb == "LOGIN" or verb == "REGISTER" then
        -- The password, if any, is not shown.
        local id, r1 = word(args)
        if id then tree:add(f_target, tvb_line, id) end
        summary = verb .. " " .. (id or "") .. ((r1 ~= "" ) and " ********" or "")
    elseif verb == "VERIFY" then
        local cookie = word(args)
        if cookie then tree:add(f_cookie, tvb_line, cookie) end
        summary = "VERIFY " .. args
    elseif verb == "LOGOFF" or verb == "GET" or verb == "HISTORY" or verb == "JOIN" or verb == "LEAVE" then
        local id, r1 = word(args)
        if id then tree:add(f_target, tvb_line, id) end
        if r1 ~= "" then tree:add(f_text, tvb_line, r1) end
        summary = verb .. " " .. args
    else
        -- PING/PONG <token>, HELLO, KICKED/BYE <reason>, WHO, HELP, QUIT, unknown verbs
        if args ~= "" then tree:add(f_text, tvb_line, args) end
        summary = (args ~= "") and (verb .. " " .. args) or verb
    end
    return summary, body
end

local function add_line(tvb, tree, offset, len, from_client, summaries)
    local raw = tvb(offset, len)
    local text = raw:string(ENC_UTF_8)
    text = text:gsub("\r?\n$", "")
    local item = tree:add(f_line, raw, text)
    local summary, body = line_fields(item, raw, text, from_client)
    summaries[#summaries + 1] = summary
    return body
end

local function set_info(pinfo, summaries)
    if #summaries == 0 then
        return
    end
    local info = table.concat(summaries, " | ")
    if #info > 200 then
        info = info:sub(1, 197) .. "..."
    end
    pinfo.cols.protocol = "CHAT-MSG"
    pinfo.cols.info = info
end

-- The server's port is the one the dissector was found by (12345, or the port
-- given with Decode As / -d): a packet to it comes from a client.
local function to_server(pinfo)
    local server = pinfo.match_uint
    if server == nil or server == 0 then
        server = DEFAULT_PORT
    end
    return pinfo.dst_port == server
end

local function dissect_tcp(tvb, pinfo, tree)
    local len = tvb:len()
    local from_client = to_server(pinfo)
    local key = tostring(f_stream().value) .. ":" .. tostring(pinfo.src_port)
    local pending
    if not pinfo.visited then
        pending = body_left[key] or 0
        frame_pending[pinfo.number] = pending
    else
        pending = frame_pending[pinfo.number] or 0
    end
    local subtree = nil
    local function node()
        -- Only a segment with at least one whole line or body piece gets a tree.
        if subtree == nil then
            subtree = tree:add(chatmsg, tvb(), "CHAT-MSG/1")
        end
        return subtree
    end
    local summaries = {}
    local offset = 0
    while offset < len do
        if pending > 0 then
            local n = math.min(pending, len - offset)
            node():add(f_body, tvb(offset, n))
            summaries[#summaries + 1] = "[" .. n .. " body bytes]"
            pending = pending - n
            offset = offset + n
        else
            local lf = -1
            for i = offset, len - 1 do
                if tvb(i, 1):uint() == 10 then
                    lf = i
                    break
                end
            end
            if lf < 0 then
                -- The line goes on in the next segment: ask TCP for more.
                pinfo.desegment_offset = offset
                pinfo.desegment_len = DESEGMENT_ONE_MORE_SEGMENT
                break
            end
            local body = add_line(tvb, node(), offset, lf - offset + 1, from_client, summaries)
            offset = lf + 1
            if body and body > 0 then
                pending = body
            end
        end
    end
    if not pinfo.visited then
        body_left[key] = pending
    end
    set_info(pinfo, summaries)
    return len
end

local function dissect_udp(tvb, pinfo, tree)
    local from_client = to_server(pinfo)
    local subtree = tree:add(chatmsg, tvb(), "CHAT-MSG/1 (UDP)")
    local summaries = {}
    local len = tvb:len()
    local offset = 0
    while offset < len do
        local stop = len - 1
        for i = offset, len - 1 do
            if tvb(i, 1):uint() == 10 then
                stop = i
                break
            end
        end
        add_line(tvb, subtree, offset, stop - offset + 1, from_client, summaries)
        offset = stop + 1
    end
    set_info(pinfo, summaries)
    return len
end

function chatmsg.dissector(tvb, pinfo, tree)
    if f_stream() == nil then
        return dissect_udp(tvb, pinfo, tree)
    end
    return dissect_tcp(tvb, pinfo, tree)
end

function chatmsg.init()
    body_left = {}
    frame_pending = {}
end

local tcp_table = DissectorTable.get("tcp.port")
local udp_table = DissectorTable.get("udp.port")
tcp_table:add(DEFAULT_PORT, chatmsg)
udp_table:add(DEFAULT_PORT, chatmsg)
tcp_table:add_for_decode_as(chatmsg)
udp_table:add_for_decode_as(chatmsg)
