package io.openinsure.db.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.openinsure.db.core.spi.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                // user info
                "mysql://alice:s3cr3t@h:3306/db                 | mysql://alice:****@h:3306/db",
                "postgres://alice:s3cr3t@[::1]:5432/db          | postgres://alice:****@[::1]:5432/db",
                "vitess://alice:s3cr3t@vtgate:15306/ks@replica  | vitess://alice:****@replica",
                "mysql://:s3cr3t@h/db                           | mysql://:****@h/db",
                // unencoded reserved characters in the password: masked up to the last '@'
                "mysql://alice:se/cret@h/db                     | mysql://alice:****@h/db",
                "mysql://alice:se?cret@h/db                     | mysql://alice:****@h/db",
                "mysql://alice:se#cret@h/db                     | mysql://alice:****@h/db",
                "mysql://alice:s@cr@t@h/db                      | mysql://alice:****@h/db",
                "mysql://alice:s3:cr3t@h/db                     | mysql://alice:****@h/db",
                // password parameters, any case, in URLs and property lists
                "mysql://h/db?user=alice&password=s3cr3t&useSSL=true | mysql://h/db?user=alice&password=****&useSSL=true",
                "mysql://h/db?PASSWORD=s3cr3t                   | mysql://h/db?PASSWORD=****",
                "mysql://h/db?ssl=true&Password=s3cr3t#frag     | mysql://h/db?ssl=true&Password=****#frag",
                "mysql://h/db?pwd=s3cr3t                        | mysql://h/db?pwd=****",
                "mysql://h/db?PWD=s3cr3t&pass=0ther             | mysql://h/db?PWD=****&pass=****",
                "password=s3cr3t                                | password=****",
                "host=pg user=alice password=s3cr3t dbname=oi   | host=pg user=alice password=**** dbname=oi",
                // jdbc: URLs
                "jdbc:mysql://alice:s3cr3t@h:3306/db?useSSL=true | jdbc:mysql://alice:****@h:3306/db?useSSL=true",
                "jdbc:postgresql://h/db?user=alice&password=s3cr3t | jdbc:postgresql://h/db?user=alice&password=****",
                "jdbc:sqlserver://h:1433;user=alice;password=s3cr3t;databaseName=oi | jdbc:sqlserver://h:1433;user=alice;password=****;databaseName=oi",
                "jdbc:h2:mem:x;USER=sa;PASSWORD=s3cr3t          | jdbc:h2:mem:x;USER=sa;PASSWORD=****",
                "jdbc:mysql://alice:s3cr3t@h/db?password=0ther  | jdbc:mysql://alice:****@h/db?password=****",
                // a raw blank or ';' in a query value is masked with the rest of it
                "mysql://h/db?password=s3c r3t;x&useSSL=true    | mysql://h/db?password=****&useSSL=true",
                // Connector/J's multi-factor passwords and key-value hosts
                "jdbc:mysql://h/db?password1=s3cr3t&password2=0ther | jdbc:mysql://h/db?password1=****&password2=****",
                "jdbc:mysql://(host=h,user=alice,password=s3cr3t)/db | jdbc:mysql://(host=h,user=alice,password=****)/db",
                "jdbc:mysql://address=(host=h)( password = s3cr3t)/db | jdbc:mysql://address=(host=h)( password =****)/db",
                // in a driver's message
                "Cannot connect to mysql://alice:s3cr3t@h/db: timeout | Cannot connect to mysql://alice:****@h/db: timeout",
            })
    void masksPasswords(String raw, String masked) {
        assertThat(Secrets.mask(raw)).isEqualTo(masked);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "mysql://h:3306/db",
                "mysql://alice@h:3306/db",
                "vitess://alice@vtgate:15306/ks@replica",
                "mysql://h/db?user=alice&useSSL=true",
                "mysql://h/db?passthrough=1&bypass=2",
                "jdbc:h2:mem:x",
                "jdbc:postgresql://h:5432/db",
                "localhost:3306/db",
                "Access denied for user 'alice'@'10.0.0.5' (using password: YES)",
            })
    void leavesStringsWithoutSecretsUnchanged(String raw) {
        assertThat(Secrets.mask(raw)).isEqualTo(raw);
    }

    @Test
    void masksWithFourStars() {
        assertThat(Secrets.MASK).isEqualTo("****");
    }

    @Test
    void keepsNull() {
        assertThat(Secrets.mask(null)).isNull();
    }

    @Test
    void errsOnTheSideOfMaskingWhenAnAtSignFollowsAPort() {
        // no password here, but "h:15306/ks@" cannot be told from "user:password@" with an unencoded '/'
        assertThat(Secrets.mask("vitess://vtgate:15306/ks@replica")).isEqualTo("vitess://vtgate:****@replica");
    }
}
