package io.chatmsg.admin;

import java.util.List;

import io.chatmsg.cluster.ClusterView;
import io.chatmsg.cluster.NodeInfo;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The nodes: {@code GET /api/cluster} and the Cluster page. A single node lists
 * itself; a node of a cluster lists every live node as of its last heartbeat.
 */
@Controller
class ClusterController {

    private final ClusterView cluster;

    ClusterController(ClusterView cluster) {
        this.cluster = cluster;
    }

    /** {@code {"nodes": [...]}}, by node id. */
    record Nodes(List<NodeInfo> nodes) {}

    @GetMapping(value = "/api/cluster", produces = "application/json")
    @ResponseBody
    Nodes api() {
        return new Nodes(cluster.nodes());
    }

    @GetMapping("/cluster")
    String page(Model model) {
        model.addAttribute("nodes", cluster.nodes());
        model.addAttribute("thisNode", cluster.nodeId());
        model.addAttribute("clustered", cluster.clustered());
        model.addAttribute("redisAway", cluster.redisAway());
        return "cluster";
    }
}
