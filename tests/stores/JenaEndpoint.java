// A SPARQL 1.1 Protocol query endpoint over a Jena TDB2 dataset whose default graph is the union
// of its named graphs (tdb:unionDefaultGraph), for the test suite: Fuseki is not packaged in Debian.
// Run with the JDK's source launcher: java -cp JENA_JARS JenaEndpoint.java PORT NAME=TDB2_DIR...
// and ask http://127.0.0.1:PORT/NAME/sparql
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.system.Txn;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.TDB2Factory;

public class JenaEndpoint {
    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
        for (int i = 1; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            Dataset dataset = TDB2Factory.connectDataset(pair[1]);
            dataset.getContext().set(TDB2.symUnionDefaultGraph, true);
            server.createContext("/" + pair[0] + "/sparql", exchange -> {
                try {
                    answer(dataset, exchange);
                } catch (RuntimeException e) {
                    send(exchange, 400, "text/plain", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
                }
            });
        }
        server.start();
    }

    static void answer(Dataset dataset, HttpExchange exchange) throws IOException {
        String form = exchange.getRequestURI().getRawQuery(), text = null;
        if ("POST".equals(exchange.getRequestMethod())) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (type.startsWith("application/sparql-query")) text = body; else form = body;
        }
        for (String part : form == null ? new String[0] : form.split("&")) {
            if (part.startsWith("query=")) text = URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
        }
        if (text == null) {
            send(exchange, 200, "text/plain", "Jena TDB2 endpoint: send ?query=\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        Query query = QueryFactory.create(text);
        boolean results = query.isSelectType() || query.isAskType();
        byte[] body = Txn.calculateRead(dataset, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (QueryExecution execution = QueryExecutionFactory.create(query, dataset)) {
                if (query.isSelectType()) ResultSetFormatter.outputAsJSON(out, execution.execSelect());
                else if (query.isAskType()) ResultSetFormatter.outputAsJSON(out, execution.execAsk());
                else if (query.isConstructType()) RDFDataMgr.write(out, execution.execConstruct(), Lang.NTRIPLES);
                else RDFDataMgr.write(out, execution.execDescribe(), Lang.NTRIPLES);
            }
            return out.toByteArray();
        });
        send(exchange, 200, results ? "application/sparql-results+json" : "application/n-triples", body);
    }

    static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
