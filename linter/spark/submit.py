"""spark-submit's entry point (it runs a .py file, not a console script):

    spark-submit --master yarn "$(python -c 'import linter.spark.submit as m; print(m.__file__)')" \
        s3a://bucket/contacts/ --split s3a://bucket/clean.parquet s3a://bucket/rejected.parquet

is `presend data s3a://bucket/contacts/ --engine spark --split ...` on that cluster."""

from linter.spark.command import main

if __name__ == "__main__":
    main()
